// Goroutine ping-pong: two goroutines pass a counter back and forth N times (default 200,000) over
// unbuffered channels. With GOMAXPROCS > 1 this exercises futex-style wake-ups (_umtx_op on FreeBSD)
// between OS threads as well as the Go scheduler.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 200000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	fmt.Println("pingpong", v)
}
