// procs: os/exec running this same program as a child (argument, stdin/stdout pipes, environment, exit
// codes), an extra descriptor, a child killed by a signal, and exec errors for a missing program.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func child(mode string) {
	switch mode {
	case "upper":
		b, _ := io.ReadAll(os.Stdin)
		fmt.Print(strings.ToUpper(string(b)))
		fmt.Fprintln(os.Stderr, "to stderr, PROCS_VAR="+os.Getenv("PROCS_VAR"))
		os.Exit(0)
	case "exit":
		os.Exit(42)
	case "extrafd":
		f := os.NewFile(3, "extra")
		fmt.Fprintln(f, "written to fd 3")
		f.Close()
		os.Exit(0)
	case "ppid":
		fmt.Println(os.Getppid())
		os.Exit(0)
	case "sleep":
		time.Sleep(30 * time.Second)
		os.Exit(0)
	}
	os.Exit(3)
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-child" {
		child(os.Args[2])
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Println("os.Executable:", err)
		os.Exit(1)
	}

	// stdin, stdout, stderr and the environment of a child.
	cmd := exec.Command(self, "-child", "upper")
	cmd.Stdin = strings.NewReader("hello from the parent\n")
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	cmd.Env = append(os.Environ(), "PROCS_VAR=set")
	out, err := cmd.Output()
	fmt.Printf("upper: %q err=%v stderr=%q\n", out, err, errBuf.String())

	// An exit code.
	err = exec.Command(self, "-child", "exit").Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Println("exit: code", ee.ExitCode(), "exited", ee.Exited())
	} else {
		fmt.Println("exit: unexpected", err)
	}

	// An extra descriptor (ExtraFiles) becomes fd 3 in the child.
	r, w, _ := os.Pipe()
	cmd = exec.Command(self, "-child", "extrafd")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		fmt.Println("extrafd start:", err)
	}
	w.Close()
	b, _ := io.ReadAll(r)
	fmt.Printf("extrafd: %q wait=%v\n", b, cmd.Wait())

	// The child's parent is us.
	out, err = exec.Command(self, "-child", "ppid").Output()
	fmt.Println("ppid matches:", strings.TrimSpace(string(out)) == fmt.Sprint(os.Getpid()), err)

	// Killed by a signal.
	cmd = exec.Command(self, "-child", "sleep")
	if err := cmd.Start(); err != nil {
		fmt.Println("sleep start:", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if errors.As(err, &ee) {
		ws := ee.Sys().(syscall.WaitStatus)
		fmt.Println("sleep:", err, "signaled", ws.Signaled(), ws.Signal() == syscall.SIGTERM)
	} else {
		fmt.Println("sleep: unexpected", err)
	}
	fmt.Println("signal after wait:", cmd.Process.Signal(syscall.SIGTERM))

	// Programs that are not there.
	err = exec.Command("/nonexistent").Run()
	fmt.Println("nonexistent:", err, errors.Is(err, os.ErrNotExist))
	_, err = os.StartProcess("/nonexistent/prog", []string{"prog"}, &os.ProcAttr{})
	fmt.Println("StartProcess:", err)
	err = exec.Command("no-such-program-anywhere").Run()
	fmt.Println("lookpath:", err)
}
