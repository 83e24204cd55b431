// Start-up cost of a Go program: runtime init (threads, signals, heap) and one line through fmt.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
