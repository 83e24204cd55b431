// signal: signal.Notify for SIGUSR1, then the program sends itself SIGUSR1 with syscall.Kill.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		fmt.Println("kill:", err)
		os.Exit(1)
	}
	select {
	case s := <-c:
		fmt.Println("got signal:", s)
	case <-time.After(10 * time.Second):
		fmt.Println("no signal within 10s")
		os.Exit(1)
	}
	signal.Stop(c)
	// Ignored signals do nothing.
	signal.Ignore(syscall.SIGUSR2)
	_ = syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	time.Sleep(10 * time.Millisecond)
	fmt.Println("survived ignored SIGUSR2")
}
