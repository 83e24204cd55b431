// Compute in Go: crypto/sha256 over N (default 200) copies of a 64 KiB buffer. Go's amd64 sha256 picks
// SHA-NI/AVX2 assembly by CPUID, so the emulators may run different code paths than native: the output
// is the same, the work is not strictly comparable across CPUs (see results.md).
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 200
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	buf := make([]byte, 65536)
	for i := range buf {
		buf[i] = byte(i*7 + i>>9)
	}
	h := sha256.New()
	for r := 0; r < n; r++ {
		h.Write(buf)
	}
	fmt.Printf("sha256 %x\n", h.Sum(nil)[:8])
}
