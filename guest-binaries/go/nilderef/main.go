// nilderef: a nil pointer dereference turned into a runtime error by the SIGSEGV handler, recovered.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
)

type point struct{ x, y int }

//go:noinline
func readX(p *point) int { return p.x }

func try(p *point) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return readX(p), nil
}

func main() {
	v, err := try(&point{7, 8})
	fmt.Println("good pointer:", v, err)
	_, err = try(nil)
	fmt.Println(err)
	if err == nil {
		os.Exit(1)
	}
	// Twice: the handler must be usable again after the first recovery.
	_, err = try(nil)
	fmt.Println("again:", err != nil)
	// The fault deep in calls that end translated blocks (a method, a wrapper, an atomic): the panic's
	// traceback must start at the faulting instruction, or the runtime dies with "unknown caller pc".
	for i := 0; i < 3; i++ {
		fmt.Println("atomic:", deep(), "stack names the CAS:", strings.Contains(stack, "CompareAndSwap"))
	}
}

var stack string

//go:noinline
func cas(p *atomic.Pointer[point]) bool { return p.CompareAndSwap(nil, &point{}) }

func deep() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
			stack = string(debug.Stack())
		}
	}()
	var p *atomic.Pointer[point]
	cas(p)
	return nil
}
