// files: the os package's file API in a fresh temporary directory; output is deterministic.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func check(what string, err error) {
	if err != nil {
		fmt.Printf("%s: error: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	base := ""
	if len(os.Args) > 1 {
		base = os.Args[1]
	}
	dir, err := os.MkdirTemp(base, "bsdemu-go-files-")
	check("MkdirTemp", err)
	defer os.RemoveAll(dir)
	fmt.Println("tempdir has prefix:", strings.HasPrefix(filepath.Base(dir), "bsdemu-go-files-"))

	check("WriteFile a", os.WriteFile(filepath.Join(dir, "a.txt"), []byte("alpha\n"), 0o644))
	check("WriteFile b", os.WriteFile(filepath.Join(dir, "b.bin"), make([]byte, 5000), 0o600))
	check("Mkdir", os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	check("WriteFile c", os.WriteFile(filepath.Join(dir, "sub", "c"), []byte("see"), 0o640))

	data, err := os.ReadFile(filepath.Join(dir, "a.txt"))
	check("ReadFile", err)
	fmt.Printf("a.txt: %q\n", data)

	list := func() {
		ents, err := os.ReadDir(dir)
		check("ReadDir", err)
		names := []string{}
		for _, e := range ents {
			info, err := e.Info()
			check("Info", err)
			size := info.Size()
			if e.IsDir() {
				size = -1 // directory sizes differ between file systems
			}
			names = append(names, fmt.Sprintf("%s dir=%v mode=%v size=%d", e.Name(), e.IsDir(), info.Mode()&(fs.ModeDir|fs.ModePerm), size))
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Println("  " + n)
		}
	}
	fmt.Println("listing:")
	list()

	check("Rename", os.Rename(filepath.Join(dir, "a.txt"), filepath.Join(dir, "sub", "renamed.txt")))
	_, err = os.Stat(filepath.Join(dir, "a.txt"))
	fmt.Println("old name gone:", os.IsNotExist(err))
	st, err := os.Stat(filepath.Join(dir, "sub", "renamed.txt"))
	check("Stat", err)
	fmt.Printf("renamed: size=%d mode=%v regular=%v\n", st.Size(), st.Mode(), st.Mode().IsRegular())

	check("Chmod", os.Chmod(filepath.Join(dir, "b.bin"), 0o444))
	st, err = os.Stat(filepath.Join(dir, "b.bin"))
	check("Stat b", err)
	fmt.Printf("b.bin: size=%d mode=%v\n", st.Size(), st.Mode())

	f, err := os.OpenFile(filepath.Join(dir, "sub", "renamed.txt"), os.O_APPEND|os.O_WRONLY, 0)
	check("OpenFile", err)
	_, err = f.WriteString("beta\n")
	check("Write", err)
	check("Close", f.Close())
	data, err = os.ReadFile(filepath.Join(dir, "sub", "renamed.txt"))
	check("ReadFile 2", err)
	fmt.Printf("after append: %q\n", data)

	check("Remove", os.Remove(filepath.Join(dir, "b.bin")))
	err = os.Remove(filepath.Join(dir, "nope"))
	fmt.Println("remove missing is not-exist:", os.IsNotExist(err))
	fmt.Println("after remove:")
	list()

	old, err := os.Getwd()
	check("Getwd", err)
	check("Chdir", os.Chdir(filepath.Join(dir, "sub")))
	wd, err := os.Getwd()
	check("Getwd 2", err)
	real, err := filepath.EvalSymlinks(filepath.Join(dir, "sub"))
	check("EvalSymlinks", err)
	fmt.Println("getwd is sub:", wd == real || wd == filepath.Join(dir, "sub"))
	data, err = os.ReadFile("c")
	check("ReadFile relative", err)
	fmt.Printf("relative read: %q\n", data)
	check("Chdir back", os.Chdir(old))

	check("RemoveAll", os.RemoveAll(dir))
	_, err = os.Stat(dir)
	fmt.Println("removed all:", os.IsNotExist(err))
}
