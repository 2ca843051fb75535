package hugeheap

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
)

// Prepare marks n bytes of the Go heap, the next the program will use, for huge pages. It
// blocks for a garbage collection (1–15 ms): run it on a goroutine of its own, early. It does
// nothing when GODEBUG has disablethp=1 (the runtime's own switch for huge pages), and returns
// an error only when the kernel has no transparent huge pages.
func Prepare(n int) error {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return nil
	}
	b := make([]byte, n) // fresh pages: the runtime does not touch them to zero them
	err := syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	// b is dead from here: the collection frees its pages for the allocations that follow.
	runtime.GC()
	if errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("this kernel has no transparent huge pages: %w", errors.ErrUnsupported)
	}
	return err
}
