package webexfake

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// gen makes ids and opaque strings. The seeded one gives the same data for the same seed;
// the runtime one (ids and tokens minted while serving) is seeded from crypto/rand.
type gen struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newSeededGen(seed int64) *gen {
	return &gen{r: rand.New(rand.NewPCG(uint64(seed), 0x6279_6f76_6120_6661))} // "byova fa"
}

func newRuntimeGen() *gen {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails on supported platforms (Go 1.24+)
	return &gen{r: rand.New(rand.NewChaCha8(seed))}
}

func (g *gen) intN(n int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.r.IntN(n)
}

func (g *gen) bytes(n int) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := make([]byte, 0, n+8)
	for len(b) < n {
		b = binary.LittleEndian.AppendUint64(b, g.r.Uint64())
	}
	return b[:n]
}

// uuid returns a version 4 UUID string.
func (g *gen) uuid() string {
	var u uuid.UUID
	copy(u[:], g.bytes(16))
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

const (
	hexDigits = "0123456789abcdef"
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

func (g *gen) fromAlphabet(alphabet string, n int) string {
	b := g.bytes(n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (g *gen) hex(n int) string { return g.fromAlphabet(hexDigits, n) }

// clientID looks like a Webex OAuth client id: "C" and 64 hex digits.
func (g *gen) clientID() string { return "C" + g.hex(64) }

// token looks like a Webex access/refresh token: opaque text, cluster tag, org UUID.
func (g *gen) token(orgID string) string {
	return g.fromAlphabet(alnum, 64) + "_PF84_" + orgID
}

func (g *gen) perm(n int) []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.r.Perm(n)
}

// pick returns one of the choices.
func pick[T any](g *gen, choices []T) T { return choices[g.intN(len(choices))] }
