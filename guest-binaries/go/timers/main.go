// timers: time.Sleep, time.After, a Ticker and time.AfterFunc. Prints only facts that hold on any
// machine (elapsed time is at least what was asked for).
package main

import (
	"fmt"
	"time"
)

func atLeast(name string, start time.Time, d time.Duration) {
	el := time.Since(start)
	fmt.Printf("%s %v: elapsed >= requested: %v\n", name, d, el >= d)
}

func main() {
	start := time.Now()
	time.Sleep(30 * time.Millisecond)
	atLeast("sleep", start, 30*time.Millisecond)

	start = time.Now()
	<-time.After(20 * time.Millisecond)
	atLeast("after", start, 20*time.Millisecond)

	start = time.Now()
	tk := time.NewTicker(10 * time.Millisecond)
	ticks := 0
	for range tk.C {
		ticks++
		if ticks == 5 {
			break
		}
	}
	tk.Stop()
	fmt.Printf("ticks: %d\n", ticks)
	atLeast("ticker x5", start, 50*time.Millisecond)

	start = time.Now()
	done := make(chan time.Duration)
	time.AfterFunc(15*time.Millisecond, func() { done <- time.Since(start) })
	el := <-done
	fmt.Printf("afterfunc 15ms: elapsed >= requested: %v\n", el >= 15*time.Millisecond)

	// A timer stopped before it fires never fires.
	t := time.NewTimer(time.Hour)
	fmt.Printf("stop before fire: %v\n", t.Stop())

	// select with a timeout on a channel nobody writes.
	never := make(chan int)
	select {
	case <-never:
		fmt.Println("select: value")
	case <-time.After(5 * time.Millisecond):
		fmt.Println("select: timeout")
	}
	fmt.Printf("monotonic: %v\n", time.Since(start) > 0)
}
