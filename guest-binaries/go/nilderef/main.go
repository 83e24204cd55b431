// nilderef: a nil pointer dereference turned into a runtime error by the SIGSEGV handler, recovered.
package main

import (
	"fmt"
	"os"
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
}
