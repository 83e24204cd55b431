// netsock: BSD sockets through Go's net package (kqueue netpoller, non-blocking sockets, accept4,
// connect with EINPROGRESS, getsockopt SO_ERROR, sendto/recvfrom, unix sockets) and net/http/httptest.
// The first argument is an empty directory for the unix socket. Output does not depend on ports.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
)

func fail(what string, err error) {
	fmt.Printf("%s: error: %v\n", what, err)
	os.Exit(1)
}

// echo: listen, dial, several round trips, half close, EOF.
func echo(network, addr string) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		fmt.Printf("%s %s: listen unavailable\n", network, addr)
		return
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		_, err = io.Copy(c, c)
		done <- err
	}()
	c, err := net.Dial(ln.Addr().Network(), ln.Addr().String())
	if err != nil {
		fail("dial", err)
	}
	r := bufio.NewReader(c)
	for i := 0; i < 3; i++ {
		msg := fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", i*1000))
		if _, err := c.Write([]byte(msg)); err != nil {
			fail("write", err)
		}
		got, err := r.ReadString('\n')
		if err != nil || got != msg {
			fail("read", err)
		}
	}
	// A big transfer through the socket buffers in both directions at once.
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	go func() { c.Write([]byte(big)); c.(interface{ CloseWrite() error }).CloseWrite() }()
	back, err := io.ReadAll(r)
	if err != nil || string(back) != big {
		fail("bulk", err)
	}
	if err := <-done; err != nil {
		fail("server", err)
	}
	c.Close()
	la := ln.Addr().(interface{ String() string }).String()
	host, _, _ := net.SplitHostPort(la)
	fmt.Printf("%s %s: echo ok, listener host %s, %d bytes back\n", network, addr, host, len(back))
}

func udp(network, addr string) {
	a, err := net.ListenPacket(network, addr)
	if err != nil {
		fmt.Printf("%s %s: listen unavailable\n", network, addr)
		return
	}
	defer a.Close()
	b, err := net.ListenPacket(network, addr)
	if err != nil {
		fail("udp listen", err)
	}
	defer b.Close()
	if _, err := a.WriteTo([]byte("ping"), b.LocalAddr()); err != nil {
		fail("udp write", err)
	}
	buf := make([]byte, 100)
	n, from, err := b.ReadFrom(buf)
	if err != nil {
		fail("udp read", err)
	}
	if from.String() != a.LocalAddr().String() {
		fail("udp from", fmt.Errorf("%v != %v", from, a.LocalAddr()))
	}
	b.WriteTo([]byte("pong:"+string(buf[:n])), from)
	n, _, err = a.ReadFrom(buf)
	if err != nil {
		fail("udp read back", err)
	}
	fmt.Printf("%s %s: %s\n", network, addr, buf[:n])
}

func unix(dir string) {
	path := filepath.Join(dir, "s.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		fail("unix listen", err)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		fmt.Fprintf(c, "hello from %s\n", filepath.Base(c.LocalAddr().String()))
		c.Close()
	}()
	c, err := net.Dial("unix", path)
	if err != nil {
		fail("unix dial", err)
	}
	msg, err := io.ReadAll(c)
	if err != nil {
		fail("unix read", err)
	}
	c.Close()
	ln.Close()
	os.Remove(path)
	fmt.Printf("unix: %s", msg)
}

func httpTest() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Test", "yes")
		fmt.Fprintf(w, "%s %s %q", r.Method, r.URL.Path, body)
	}))
	defer srv.Close()
	for i := 0; i < 3; i++ {
		resp, err := http.Post(srv.URL+fmt.Sprintf("/path/%d", i), "text/plain", strings.NewReader("body"))
		if err != nil {
			fail("http", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("http: %d %s %s\n", resp.StatusCode, resp.Header.Get("X-Test"), b)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: netsock DIR")
		os.Exit(2)
	}
	echo("tcp4", "127.0.0.1:0")
	echo("tcp6", "[::1]:0")
	echo("tcp", ":0")
	udp("udp4", "127.0.0.1:0")
	udp("udp6", "[::1]:0")
	unix(os.Args[1])
	httpTest()
	_, err := net.Dial("tcp", "127.0.0.1:1")
	fmt.Printf("refused: %v\n", err != nil && strings.Contains(err.Error(), "connection refused"))
}
