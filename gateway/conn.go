package gateway

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/safetext"
)

// Limits on what a gateway can make us hold (house rule 8).
const (
	// MaxMessageBytes is the largest response message we accept; a bigger one (a 100 MB
	// prompt) ends the step with RESOURCE_EXHAUSTED instead of being buffered.
	MaxMessageBytes = 4 << 20
	// MaxAudioKept is how much prompt audio one call keeps (for --save-audio); the rest is
	// counted, not kept.
	MaxAudioKept = 16 << 20
	// MaxPromptText is how many bytes of a prompt's text are kept and shown.
	MaxPromptText = 2048
	// MaxResponsesPerTurn ends a stream that keeps sending (an endless gateway).
	MaxResponsesPerTurn = 5000
	// MaxAgents is how many virtual agents a listing may hold.
	MaxAgents = 1000
	// MaxCAFileBytes caps a --ca-file.
	MaxCAFileBytes = 1 << 20
)

// Options say how to reach a gateway as Webex would.
type Options struct {
	Roots     *x509.CertPool // nil: the system roots
	Plaintext bool           // h2c; only loopback or when asked for
	Bearer    bool           // send "Bearer <jws>" instead of the bare JWS (spec §5)
	Timeout   time.Duration  // per step; default 10 s
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 10 * time.Second
	}
	return o.Timeout
}

// LoadCAFile adds the PEM certificates of path to the system roots (--ca-file).
func LoadCAFile(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, MaxCAFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(buf) > MaxCAFileBytes {
		return nil, fmt.Errorf("%s is over 1 MiB: not a CA file", path)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(buf) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

func tlsConfig(t Target, o Options) *tls.Config {
	return &tls.Config{ServerName: t.Host, RootCAs: o.Roots, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12}
}

// Dial makes the gRPC client for t. Nothing is sent until the first RPC.
func Dial(t Target, o Options) (*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if !t.Plaintext {
		creds = credentials.NewTLS(tlsConfig(t, o))
	}
	return grpc.NewClient("passthrough:///"+t.Addr(), grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageBytes)),
		grpc.WithUserAgent("byova"))
}

// WithToken puts the data source's jwsToken in the authorization metadata, bare unless
// bearer (spec §5: Cisco's Java sample refuses the Bearer form).
func WithToken(ctx context.Context, token string, bearer bool) context.Context {
	if token == "" {
		return ctx
	}
	if bearer {
		token = "Bearer " + token
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", token)
}

// describeNetErr names a dial failure in words.
func describeNetErr(err error, addr string, within time.Duration) string {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "DNS: no such host " + dns.Name
		}
		if dns.IsTimeout {
			return "DNS: no answer for " + dns.Name + " within " + within.String()
		}
		return "DNS: " + dns.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused by " + addr + ": nothing listens there"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return addr + " is unreachable from here (no route)"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "no answer from " + addr + " within " + within.String()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// describeTLSErr names a handshake failure: expired, wrong host, unknown CA, or no handshake.
func describeTLSErr(err error, t Target, within time.Duration) (word, detail string) {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return "unknown CA", "the certificate is not signed by a CA we trust (Webex needs a public CA; --ca-file adds one for tests)"
	case errors.As(err, &host):
		return "wrong host", fmt.Sprintf("the certificate is not for %s: %s", t.Host, host.Error())
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "expired", "the certificate has expired or is not yet valid: " + invalid.Detail
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "no handshake", "the gateway accepted the connection but finished no TLS handshake within " + within.String()
	}
	return "handshake", "TLS handshake failed: " + err.Error()
}

// StatusText is a gRPC error as "CODE (n): message", the message sanitised and cut.
func StatusText(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return safetext.Line(cut(err.Error(), 300))
	}
	return fmt.Sprintf("%s (%d): %s", codeName(st.Code()), int(st.Code()), safetext.Line(cut(st.Message(), 300)))
}

var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN", codes.InvalidArgument: "INVALID_ARGUMENT",
	codes.DeadlineExceeded: "DEADLINE_EXCEEDED", codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED", codes.OutOfRange: "OUT_OF_RANGE",
	codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE",
	codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
}

// codeName is the code as the gRPC spec spells it (UNAUTHENTICATED), what gateway logs show.
func codeName(c codes.Code) string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("CODE_%d", int(c))
}

// redact replaces the token in text a gateway sent back (a hostile or careless one may echo
// it in an error or a prompt), so it is never printed in full.
func redact(s, token string) string {
	if len(token) < 16 || !strings.Contains(s, token) {
		return s
	}
	return strings.ReplaceAll(s, token, token[:8]+"…(token)")
}

// cut keeps at most n bytes of s, on a rune boundary, and says it did.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && (s[i]&0xC0) == 0x80 {
		i--
	}
	return s[:i] + fmt.Sprintf("… (%d bytes cut)", len(s)-i)
}
