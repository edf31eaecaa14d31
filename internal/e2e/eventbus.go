package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
)

// EnvEventBridge is the SDK's endpoint variable for EventBridge.
const EnvEventBridge = "AWS_ENDPOINT_URL_EVENTBRIDGE"

// Event is one entry of a PutEvents request, as an EventBus recorded it.
type Event struct {
	EventBusName string
	Source       string
	DetailType   string
	Detail       string
}

// EventBus is a stand-in for EventBridge's PutEvents on 127.0.0.1: it
// records the entries it is sent and answers as EventBridge does (JSON 1.1
// protocol), or refuses entries when told to. Point a client at URL with
// EnvEventBridge.
type EventBus struct {
	URL    string
	srv    *http.Server
	mu     sync.Mutex
	events []Event
	refuse int // refuse this many more entries (FailedEntryCount)
	down   int // answer this many more requests with HTTP 500
}

// StartEventBus listens on a free loopback port.
func StartEventBus() (*EventBus, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &EventBus{URL: "http://" + ln.Addr().String()}
	b.srv = &http.Server{Handler: http.HandlerFunc(b.serve)}
	go b.srv.Serve(ln)
	return b, nil
}

// Close stops the server.
func (b *EventBus) Close() error { return b.srv.Close() }

// Events returns the entries recorded so far.
func (b *EventBus) Events() []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Event(nil), b.events...)
}

// Refuse makes the next n entries come back failed (HTTP 200 with
// FailedEntryCount), as EventBridge does for an entry it cannot accept.
func (b *EventBus) Refuse(n int) { b.mu.Lock(); b.refuse = n; b.mu.Unlock() }

// Down makes the next n requests fail with HTTP 500 (retried by the SDK).
func (b *EventBus) Down(n int) { b.mu.Lock(); b.down = n; b.mu.Unlock() }

func (b *EventBus) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Amz-Target") != "AWSEvents.PutEvents" {
		http.Error(w, `{"__type":"UnknownOperationException"}`, http.StatusBadRequest)
		return
	}
	var in struct{ Entries []Event }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, `{"__type":"SerializationException"}`, http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if b.down > 0 {
		b.down--
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"__type":"InternalException","message":"recorder told to fail"}`)
		return
	}
	type result struct {
		EventId      string `json:",omitempty"`
		ErrorCode    string `json:",omitempty"`
		ErrorMessage string `json:",omitempty"`
	}
	out := struct {
		Entries          []result
		FailedEntryCount int
	}{Entries: []result{}}
	for _, e := range in.Entries {
		if b.refuse > 0 {
			b.refuse--
			out.FailedEntryCount++
			out.Entries = append(out.Entries, result{ErrorCode: "InternalFailure", ErrorMessage: "recorder told to refuse"})
			continue
		}
		b.events = append(b.events, e)
		out.Entries = append(out.Entries, result{EventId: fmt.Sprintf("event-%d", len(b.events))})
	}
	json.NewEncoder(w).Encode(out)
}
