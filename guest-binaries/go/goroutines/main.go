// goroutines: 64 goroutines, channels and a WaitGroup; output does not depend on scheduling.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	const n = 64
	jobs := make(chan int, n)
	results := make(chan [2]int, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s := 0
				for k := 1; k <= j*1000; k++ {
					s += k % (j + 1)
				}
				results <- [2]int{j, s}
			}
		}()
	}
	for j := 0; j < n; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)

	var all [][2]int
	for r := range results {
		all = append(all, r)
	}
	sort.Slice(all, func(a, b int) bool { return all[a][0] < all[b][0] })
	total := 0
	for _, r := range all {
		total += r[1]
	}
	fmt.Printf("results: %d\n", len(all))
	fmt.Printf("first: %v last: %v\n", all[0], all[len(all)-1])
	fmt.Printf("total: %d\n", total)

	// A ping-pong over unbuffered channels between two goroutines.
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < 1000; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	<-pong
	fmt.Printf("ping-pong: %d\n", v)

	// A mutex-protected counter.
	var mu sync.Mutex
	count := 0
	var wg2 sync.WaitGroup
	for i := 0; i < n; i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for k := 0; k < 100; k++ {
				mu.Lock()
				count++
				mu.Unlock()
			}
		}()
	}
	wg2.Wait()
	fmt.Printf("counter: %d\n", count)
}
