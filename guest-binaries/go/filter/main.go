// filter: stdin to stdout, upper-cased, line by line with bufio; a line count on stderr.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	n := 0
	for in.Scan() {
		n++
		fmt.Fprintln(out, strings.ToUpper(in.Text()))
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "read error:", err)
		os.Exit(1)
	}
	fmt.Fprintf(out, "-- %d lines\n", n)
}
