package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// EncodeKey encodes an object key the way S3 event notifications carry it:
// form encoding (a space is '+', '+' is "%2B", non-ASCII is percent-encoded
// UTF-8) with '/' left as is.
func EncodeKey(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// S3Record describes one record of an S3 event notification.
type S3Record struct {
	EventName string // "ObjectCreated:Put", "ObjectRemoved:Delete", ...
	Bucket    string
	Key       string // the real (decoded) key; S3Event encodes it
	Sequencer string
	Time      time.Time
	Size      int64  // ObjectCreated only
	ETag      string // ObjectCreated only
}

// S3Event returns the JSON of an S3 event notification holding recs, built
// from template, an event file such as events/s3-put.json: its first record
// is the model for every record (so fields S3 sends and this type does not
// name are kept), with the fields of each S3Record put in.
func S3Event(template []byte, recs ...S3Record) ([]byte, error) {
	var tmpl struct {
		Records []map[string]any `json:"Records"`
	}
	if err := json.Unmarshal(template, &tmpl); err != nil {
		return nil, fmt.Errorf("event template: %w", err)
	}
	if len(tmpl.Records) == 0 {
		return nil, errors.New("event template has no records")
	}
	model, err := json.Marshal(tmpl.Records[0])
	if err != nil {
		return nil, err
	}
	out := struct {
		Records []map[string]any `json:"Records"`
	}{Records: make([]map[string]any, 0, len(recs))}
	for _, r := range recs {
		var m map[string]any
		if err := json.Unmarshal(model, &m); err != nil {
			return nil, err
		}
		m["eventName"] = r.EventName
		if !r.Time.IsZero() {
			m["eventTime"] = r.Time.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		s3, ok := m["s3"].(map[string]any)
		if !ok {
			return nil, errors.New("event template record has no s3 object")
		}
		bucket, _ := s3["bucket"].(map[string]any)
		if bucket == nil {
			bucket = map[string]any{}
			s3["bucket"] = bucket
		}
		bucket["name"] = r.Bucket
		bucket["arn"] = "arn:aws:s3:::" + r.Bucket
		obj := map[string]any{"key": EncodeKey(r.Key), "sequencer": r.Sequencer}
		if strings.HasPrefix(r.EventName, "ObjectCreated:") {
			obj["size"] = r.Size
			if r.ETag != "" {
				obj["eTag"] = r.ETag
			}
		}
		s3["object"] = obj
		out.Records = append(out.Records, m)
	}
	return json.Marshal(out)
}

// Sequencers hands out increasing S3-style sequencers (18 upper-case hex
// digits), starting from a time-based value so that runs do not collide.
// It is not safe for concurrent use.
type Sequencers struct{ next uint64 }

// NewSequencers starts a sequence at the current time.
func NewSequencers() *Sequencers { return &Sequencers{next: uint64(time.Now().UnixNano())} }

// Next returns the next sequencer.
func (s *Sequencers) Next() string {
	s.next++
	return fmt.Sprintf("%018X", s.next)
}
