// Read a file (the runner makes a 256 MiB one) in 64 KiB chunks through os.File.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	buf := make([]byte, 65536)
	total, sum := 0, 0
	for {
		n, err := f.Read(buf)
		if n > 0 {
			total += n
			sum += int(buf[0]) + int(buf[n-1])
		}
		if err == io.EOF {
			break
		} else if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
	}
	fmt.Println("read", total, "sum", sum)
}
