// interrupt: four goroutines compute without pause on GOMAXPROCS=4; the program prints "ready" and
// waits. Sent SIGINT (Ctrl-C), it dies of it (mode "die"), or with signal.Notify prints a line and
// exits 3 (mode "notify").
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
)

var sink atomic.Uint64

func spin(seed uint64) {
	x := seed
	for {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		sink.Add(x >> 60)
	}
}

func main() {
	runtime.GOMAXPROCS(4)
	notify := len(os.Args) > 1 && os.Args[1] == "notify"
	c := make(chan os.Signal, 1)
	if notify {
		signal.Notify(c, os.Interrupt)
	}
	for i := 0; i < 4; i++ {
		go spin(uint64(i + 1))
	}
	fmt.Println("ready")
	if notify {
		s := <-c
		fmt.Printf("got %v\n", s)
		os.Exit(3)
	}
	select {}
}
