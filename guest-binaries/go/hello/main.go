// hello: the smallest Go program; prints its arguments too.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from Go")
	for i, a := range os.Args[1:] {
		fmt.Printf("arg %d: %s\n", i+1, a)
	}
}
