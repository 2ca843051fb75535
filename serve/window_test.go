package serve

import (
	"io"
	"runtime"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/ui/uitest"
)

// rawConsole is a console at any size, read as bytes: a terminal emulator of 65535×65535
// would be the very allocation the clamp prevents.
type rawConsole struct {
	conn     *gossh.Client
	sess     *gossh.Session
	out, err *lockedBuffer
}

func (r *rig) openRaw(t testing.TB, k key, w, h int) *rawConsole {
	t.Helper()
	c, err := r.dial(t, k)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	rc := &rawConsole{conn: c, sess: s, out: &lockedBuffer{}, err: &lockedBuffer{}}
	s.Stdout, s.Stderr = rc.out, rc.err
	s.Stdin = io.MultiReader() // nothing typed
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return rc
}

func (s *Server) seatSize() (int, int) {
	st := s.anySeat()
	if st == nil {
		return 0, 0
	}
	v := st.size.Load()
	return int(v >> 32), int(v & 0xffffffff)
}

// A 65535×65535 pty and window change reach the program as at most 500×200 (MaxCols×MaxRows), and the client
// is told once.
func TestHugeWindowIsClamped(t *testing.T) {
	r := newRig(t, nil)
	con := r.openRaw(t, r.operator, 65535, 65535)
	uitest.WaitText(t, con.out.String, "alice")
	uitest.WaitFor(t, "the program's size", func() string { return "" }, func(string) bool {
		w, h := r.srv.seatSize()
		return w > 0 && h > 0
	})
	if w, h := r.srv.seatSize(); w != MaxCols || h != MaxRows {
		t.Fatalf("the program was given %dx%d, want %dx%d", w, h, MaxCols, MaxRows)
	}
	const told = "a 65535x65535 window is larger than the console draws; it uses at most 500x200"
	uitest.WaitText(t, con.err.String, told)

	// A window change inside the limits is passed on as asked; a huge one is cut again,
	// without a second notice.
	if err := con.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	uitest.WaitFor(t, "120x40", func() string { return "" }, func(string) bool { w, h := r.srv.seatSize(); return w == 120 && h == 40 })
	if err := con.sess.WindowChange(65535, 65535); err != nil {
		t.Fatal(err)
	}
	uitest.WaitFor(t, "the clamp after a window change", func() string { return "" }, func(string) bool {
		w, h := r.srv.seatSize()
		return w == MaxCols && h == MaxRows
	})
	if n := strings.Count(con.err.String(), "larger than the console draws"); n != 1 {
		t.Fatalf("told %d times, want once:\n%s", n, con.err)
	}
}

// BenchmarkHugeWindowHeap: serve's heap in use after a 65535×65535 console has drawn its
// list (bounded by the clamp: well under 100 MB; without it, gigabytes).
func BenchmarkHugeWindowHeap(b *testing.B) { benchHeap(b, 65535, 65535) }

func BenchmarkSmallWindowHeap(b *testing.B) { benchHeap(b, 80, 24) }

func benchHeap(b *testing.B, w, h int) {
	r := newRig(b, nil)
	var peak uint64
	for b.Loop() {
		con := r.openRaw(b, r.operator, w, h)
		uitest.WaitText(b, con.out.String, "Data sources")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		// The whole connection, not only its session, and its slot back before the next: one
		// key holds at most max_connections_per_key (3) connections.
		con.conn.Close()
		uitest.WaitFor(b, "the connection's slot to free", func() string { return "" }, func(string) bool {
			r.srv.conns.mu.Lock()
			defer r.srv.conns.mu.Unlock()
			return r.srv.conns.open == 0
		})
	}
	b.ReportMetric(float64(peak)/(1<<20), "heapMB")
}
