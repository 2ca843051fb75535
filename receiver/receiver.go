package receiver

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// MaxBody is the largest delivery accepted; serviceApp events are a few hundred bytes.
const MaxBody = 1 << 20

// Defaults for the Handler's knobs; see the fields.
const (
	DefaultAnswerWithin = 2 * time.Second
	DefaultWorkers      = 8
	DefaultMaxPending   = 256
	DefaultRemember     = 4096
)

// Outcome is one line of the event log printed on stdout: nothing secret.
type Outcome struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event,omitempty"`
	Org   string    `json:"org,omitempty"`
	// OrgFrom names the delivery field the org was taken from (data.authorizerOrgId, orgId
	// or data.orgId): Webex's documents disagree on where the customer org lives.
	OrgFrom string `json:"orgFrom,omitempty"`
	// Result: stored, already stored, deleted, nothing to delete, ignored, duplicate,
	// rejected, busy, failed.
	Result string `json:"result"`
	Status int    `json:"status"`
	// Answered is set when Webex was answered before the outcome was known (202 Accepted):
	// Status is then what the outcome would have answered.
	Answered   int    `json:"answered,omitempty"`
	Reason     string `json:"reason,omitempty"`
	TrackingID string `json:"trackingId,omitempty"`
}

// Handler receives deliveries on Path.
//
// What "answer promptly" means here: the signature, content type and body are checked and the
// event parsed before anything else, and a bad delivery is answered at once (401, 400, 415).
// A good one is handed to a bounded pool of workers that act one delivery at a time per org,
// in arrival order (the store checks read, then write), and in parallel across orgs. The sender waits for the
// outcome at most AnswerWithin: a fast Webex gives it the real answer (200, or the 5xx that
// invites a retry); a slow one gets 202 Accepted and the outcome is logged when it is known.
// Webex's sender treats any 2xx as delivered and waits only seconds, so a 20 s token fetch
// must never hold its connection.
type Handler struct {
	Session *session.Session
	Secret  string    // when set, X-Spark-Signature must match; the CLI refuses to run without one unless --insecure
	Path    string    // default config.DefaultWebhooksPath ("/webex"), as under serve
	Out     io.Writer // one JSON line per delivery
	Now     func() time.Time
	Timeout time.Duration // for the Webex calls of one delivery, default 20 s

	AnswerWithin time.Duration // how long the sender waits for the outcome; default 2 s, <0 answers 202 at once
	Workers      int           // deliveries acted on at once across orgs; default 8
	MaxPending   int           // accepted but unfinished deliveries before answering 503; default 256
	Remember     int           // digests of recent deliveries kept to spot repeats; default 4096

	once    sync.Once
	mu      sync.Mutex // guards recent, pending, orgs
	recent  *recentDeliveries
	pending int
	orgs    map[string]*orgQueue
	sem     chan struct{}
	wg      sync.WaitGroup
	outMu   sync.Mutex // whole lines on Out
}

func (h *Handler) init() {
	h.once.Do(func() {
		h.recent = newRecent(orDefault(h.Remember, DefaultRemember))
		h.orgs = map[string]*orgQueue{}
		h.sem = make(chan struct{}, orDefault(h.Workers, DefaultWorkers))
	})
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) answerWithin() time.Duration {
	switch {
	case h.AnswerWithin < 0:
		return 0
	case h.AnswerWithin == 0:
		return DefaultAnswerWithin
	}
	return h.AnswerWithin
}

// Wait blocks until every accepted delivery has been acted on and logged: for a clean
// shutdown, and for tests that look at the store afterwards.
func (h *Handler) Wait() { h.wg.Wait() }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.init()
	path := h.Path
	if path == "" {
		path = config.DefaultWebhooksPath
	}
	if r.URL.Path != path {
		// Most often the webhook's targetUrl and the receiver's path disagree: say both.
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusNotFound,
			Reason: "no receiver at " + r.URL.Path + ": deliveries go to " + path + "; make the webhook's targetUrl end in it, or change --path (serve.webhooks.path under serve)"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusMethodNotAllowed, Reason: "only POST is accepted"})
		return
	}
	// A web page can POST text/plain or a form to a loopback port without a CORS preflight;
	// Webex always sends JSON, so nothing else is read.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusUnsupportedMediaType, Reason: "Content-Type must be application/json"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusRequestEntityTooLarge, Reason: "body over 1 MiB"})
		} else {
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusBadRequest, Reason: "could not read the body"})
		}
		return
	}
	if h.Secret != "" {
		sig := r.Header.Get(api.SignatureHeader)
		switch {
		case sig == "":
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusUnauthorized, Reason: "no X-Spark-Signature"})
			return
		case !api.VerifySignature(body, h.Secret, sig):
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusUnauthorized, Reason: "X-Spark-Signature does not match"})
			return
		}
	}
	ev, err := api.ParseServiceAppEvent(body)
	if err != nil {
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusBadRequest, Reason: err.Error()})
		return
	}
	base := Outcome{Event: ev.Event, Org: ev.Org, OrgFrom: ev.OrgFrom}
	if ours := h.Session.Settings.ServiceAppClientID; ours != "" && ev.AppID != "" && !sameApp(ev.AppID, ours) {
		h.finish(w, with(base, "rejected", http.StatusBadRequest, "the event is for another Service App"))
		return
	}
	j, early := h.accept(sha256.Sum256(body), ev, base)
	if early != nil {
		h.finish(w, *early)
		return
	}
	h.answer(w, j)
}

func with(o Outcome, result string, status int, reason string) Outcome {
	o.Result, o.Status, o.Reason = result, status, reason
	return o
}

// accept answers a repeat or an overload at once, else starts a job for the delivery.
func (h *Handler) accept(d digest, ev *api.ServiceAppEvent, base Outcome) (*job, *Outcome) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seen := h.recent.get(d); seen != nil {
		// Answered with a 2xx so Webex does not send it again; nothing is acted on.
		o := with(base, "duplicate", http.StatusOK, "the same delivery was handled at "+seen.at.UTC().Format(time.RFC3339)+": not acted on again")
		if seen.state == inFlight {
			o = with(base, "duplicate", http.StatusAccepted, "the same delivery is being handled")
		}
		return nil, &o
	}
	if h.pending >= orDefault(h.MaxPending, DefaultMaxPending) {
		o := with(base, "busy", http.StatusServiceUnavailable, "too many deliveries in progress; Webex may send it again")
		return nil, &o
	}
	h.recent.add(d, inFlight, h.now())
	h.pending++
	j := &job{ev: ev, base: base, digest: d, turn: h.enqueue(ev.Org), done: make(chan struct{})}
	h.wg.Add(1)
	go h.run(j)
	return j, nil
}

// answer waits for the job's outcome at most answerWithin, then answers 202.
func (h *Handler) answer(w http.ResponseWriter, j *job) {
	var timeout <-chan time.Time
	if d := h.answerWithin(); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	} else {
		c := make(chan time.Time)
		close(c)
		timeout = c
	}
	select {
	case <-j.done:
	case <-timeout:
		j.mu.Lock()
		finished := j.out != nil
		if !finished {
			j.answered = http.StatusAccepted
		}
		j.mu.Unlock()
		if !finished {
			reply(w, http.StatusAccepted, "accepted", "acting on it; the outcome goes to byova's event log")
			return
		}
		<-j.done
	}
	reply(w, j.out.Status, j.out.Result, j.out.Reason)
}

// finish answers the sender and logs the line, for deliveries decided without a worker.
func (h *Handler) finish(w http.ResponseWriter, o Outcome) {
	if o.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(5))
	}
	h.log(o)
	reply(w, o.Status, o.Result, o.Reason)
}

func reply(w http.ResponseWriter, status int, result, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]string{"result": result}
	if reason != "" {
		body["reason"] = reason
	}
	json.NewEncoder(w).Encode(body)
}

func (h *Handler) log(o Outcome) {
	o.Time = h.now().UTC()
	if h.Out == nil {
		return
	}
	line, _ := json.Marshal(o)
	h.outMu.Lock()
	fmt.Fprintf(h.Out, "%s\n", line)
	h.outMu.Unlock()
}

// NewServer is an HTTP server for h on addr with timeouts that a slow or hostile client
// cannot hold open.
func NewServer(addr string, h *Handler) *http.Server {
	return &http.Server{
		Addr: addr, Handler: h,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10,
	}
}
