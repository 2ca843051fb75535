package hugeheap

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// sink keeps what the test allocates after Prepare alive, written, as a loaded list is.
var sink [][]byte

// TestPrepareMarksThePagesLaterAllocationsUse is the runtime behaviour Prepare relies on: the
// small objects allocated after it sit on pages marked for huge pages (VmFlags "hg" in
// /proc/self/smaps). It fails if the runtime stops reusing a freed large block's pages first.
func TestPrepareMarksThePagesLaterAllocationsUse(t *testing.T) {
	err := Prepare(64 << 20)
	if _, statErr := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); statErr != nil {
		// A kernel built without them: the one error Prepare gives.
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("Prepare on a kernel without transparent huge pages = %v, want ErrUnsupported", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	// 16 MB in the sizes a list's strings and structs come in, each written.
	for i := range 16 << 10 {
		b := make([]byte, 512+i%1024)
		b[0], b[len(b)-1] = 1, 1
		sink = append(sink, b)
	}
	defer func() { sink = nil }()
	marked := 0
	for _, b := range sink[len(sink)-1024:] {
		if hugeFlag(t, uintptr(unsafe.Pointer(&b[0]))) {
			marked++
		}
	}
	if marked < 1000 {
		t.Fatalf("%d of the last 1,024 objects allocated after Prepare are on pages marked for huge pages, want nearly all", marked)
	}
}

// hugeFlag reports whether the mapping holding addr is marked MADV_HUGEPAGE.
func hugeFlag(t *testing.T, addr uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(" "+strings.TrimPrefix(line, "VmFlags:")+" ", " hg ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return false
}

// mappingRange reads a mapping's first line ("7f12a000-7f12c000 rw-p ...").
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
