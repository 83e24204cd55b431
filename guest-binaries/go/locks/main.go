// locks: syscall.Flock between two descriptors, syscall.Mkfifo, syscall.Utimes and syscall.Futimes
// (FreeBSD flock 131, mknodat 559, utimes 138, futimes 206) in a fresh temporary directory.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

func check(what string, err error) {
	if err != nil {
		fmt.Printf("%s: error: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	dir, err := os.MkdirTemp(os.Args[1], "bsdemu-go-locks-")
	check("MkdirTemp", err)
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "lock")

	a, err := os.Create(name)
	check("Create", err)
	b, err := os.Open(name)
	check("Open", err)
	check("Flock a EX", syscall.Flock(int(a.Fd()), syscall.LOCK_EX))
	err = syscall.Flock(int(b.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	fmt.Println("second lock would block:", errors.Is(err, syscall.EWOULDBLOCK))
	check("Flock a UN", syscall.Flock(int(a.Fd()), syscall.LOCK_UN))
	fmt.Println("second lock after unlock:", syscall.Flock(int(b.Fd()), syscall.LOCK_SH|syscall.LOCK_NB))
	err = syscall.Flock(-1, syscall.LOCK_EX)
	fmt.Println("flock(-1):", errors.Is(err, syscall.EBADF))

	fifo := filepath.Join(dir, "fifo")
	check("Mkfifo", syscall.Mkfifo(fifo, 0o600))
	fi, err := os.Lstat(fifo)
	check("Lstat fifo", err)
	fmt.Println("fifo is named pipe:", fi.Mode()&os.ModeNamedPipe != 0, "perm:", fi.Mode().Perm())
	fmt.Println("Mkfifo again exists:", errors.Is(syscall.Mkfifo(fifo, 0o600), os.ErrExist))

	tv := []syscall.Timeval{{Sec: 1000000000, Usec: 500000}, {Sec: 1234567890, Usec: 250000}}
	check("Utimes", syscall.Utimes(name, tv))
	fi, err = os.Stat(name)
	check("Stat", err)
	fmt.Println("mtime:", fi.ModTime().UTC().Format(time.RFC3339Nano))
	tv[1].Sec = 1300000000
	check("Futimes", syscall.Futimes(int(a.Fd()), tv))
	fi, err = a.Stat()
	check("Stat a", err)
	fmt.Println("mtime after Futimes:", fi.ModTime().UTC().Format(time.RFC3339Nano))
	a.Close()
	b.Close()
}
