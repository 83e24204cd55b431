// panic: an unrecovered panic; the runtime prints "panic: ..." and a traceback on stderr and exits 2.
package main

import "fmt"

func deeper(n int) {
	if n == 0 {
		panic(fmt.Sprintf("boom at depth %d", 3))
	}
	deeper(n - 1)
}

func main() {
	fmt.Println("about to panic")
	deeper(3)
}
