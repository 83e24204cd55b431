// The syscall path through Go's runtime (entersyscall/exitsyscall around each call): N getpid (default 1M).
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	s := 0
	for i := 0; i < n; i++ {
		s += syscall.Getpid() & 1
	}
	fmt.Println("ok", s >= 0)
}
