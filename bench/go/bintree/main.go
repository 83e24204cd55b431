// Allocation/GC-heavy: the binary-trees benchmark (Computer Language Benchmarks Game), single-threaded
// variant, max depth N (default 16).
package main

import (
	"fmt"
	"os"
	"strconv"
)

type node struct{ l, r *node }

func make_(d int) *node {
	if d == 0 {
		return &node{}
	}
	return &node{make_(d - 1), make_(d - 1)}
}

func (n *node) check() int {
	if n.l == nil {
		return 1
	}
	return 1 + n.l.check() + n.r.check()
}

func main() {
	max := 16
	if len(os.Args) > 1 {
		max, _ = strconv.Atoi(os.Args[1])
	}
	fmt.Println("stretch", make_(max+1).check())
	long := make_(max)
	for d := 4; d <= max; d += 2 {
		iters := 1 << (max - d + 4)
		c := 0
		for i := 0; i < iters; i++ {
			c += make_(d).check()
		}
		fmt.Println(iters, d, c)
	}
	fmt.Println("long", long.check())
}
