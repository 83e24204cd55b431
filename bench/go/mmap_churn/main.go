// mmap/munmap churn through Go's syscall package: N rounds (default 20,000) of a 64 KiB anonymous
// mapping, every page touched, then unmapped.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func main() {
	n := 20000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	sum := 0
	for i := 0; i < n; i++ {
		b, err := syscall.Mmap(-1, 0, 65536, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		for o := 0; o < len(b); o += 4096 {
			sum += int(b[o])
			b[o] = byte(i)
		}
		syscall.Munmap(b)
	}
	fmt.Println("ok", sum)
}
