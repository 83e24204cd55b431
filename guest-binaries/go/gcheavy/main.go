// gcheavy: allocation-heavy binary-tree building on GOMAXPROCS=4 goroutines with explicit GCs;
// prints a checksum that does not depend on scheduling.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type node struct {
	left, right *node
	val         int
	pad         []byte
}

func build(depth, seed int) *node {
	n := &node{val: seed, pad: make([]byte, 16+seed%48)}
	if depth > 0 {
		n.left = build(depth-1, seed*2+1)
		n.right = build(depth-1, seed*2+2)
	}
	return n
}

func (n *node) sum() int {
	if n == nil {
		return 0
	}
	return n.val%1000003 + len(n.pad) + n.left.sum() + n.right.sum()
}

func main() {
	runtime.GOMAXPROCS(4)
	const workers = 4
	const rounds = 6
	sums := make([]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var keep []*node
			for r := 0; r < rounds; r++ {
				t := build(14, w*rounds+r)
				sums[w] += t.sum()
				keep = append(keep, t)
				if len(keep) > 2 {
					keep = keep[1:]
				}
				if r%2 == 1 {
					runtime.GC()
				}
			}
			for _, t := range keep {
				sums[w] += t.sum() % 7
			}
		}(w)
	}
	wg.Wait()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	total := 0
	for w, s := range sums {
		fmt.Printf("worker %d: %d\n", w, s)
		total += s
	}
	fmt.Printf("checksum: %d\n", total)
	fmt.Printf("gc ran: %v\n", ms.NumGC >= 1)
}
