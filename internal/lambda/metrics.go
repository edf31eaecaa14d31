package lambda

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// Namespace is the CloudWatch namespace of newsdedup's metrics.
const Namespace = "newsdedup"

// Metrics writes CloudWatch Embedded Metric Format (EMF) lines: a JSON
// object per line whose "_aws" member tells CloudWatch Logs which of its
// members are metrics. The functions print them to stdout with their other
// log lines, and CloudWatch extracts the metrics (no PutMetricData call, no
// extra permission, nothing to run). A nil *Metrics writes nothing.
type Metrics struct {
	W        io.Writer
	Function string           // the Function dimension: AWS_LAMBDA_FUNCTION_NAME, stack-specific
	Now      func() time.Time // for tests; nil means time.Now
	mu       sync.Mutex       // one line per Write, never interleaved
}

// Metric is one value of a line.
type Metric struct {
	Name  string
	Unit  string // a CloudWatch unit: Count, Milliseconds, ...
	Value float64
}

// Emit writes one line with the metrics ms under the Function dimension.
// Metrics are a side channel: a write error is returned for the caller to
// log, never to fail an invocation on.
func (m *Metrics) Emit(ms ...Metric) error {
	if m == nil || m.W == nil {
		return nil
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	type def struct {
		Name string `json:"Name"`
		Unit string `json:"Unit"`
	}
	defs := make([]def, len(ms))
	line := map[string]any{"Function": m.Function}
	for i, x := range ms {
		defs[i] = def{x.Name, x.Unit}
		line[x.Name] = x.Value
	}
	line["_aws"] = map[string]any{
		"Timestamp": now().UnixMilli(),
		"CloudWatchMetrics": []any{map[string]any{
			"Namespace":  Namespace,
			"Dimensions": [][]string{{"Function"}},
			"Metrics":    defs,
		}},
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, err = m.W.Write(append(b, '\n'))
	return err
}

func count(name string, n int) Metric { return Metric{Name: name, Unit: "Count", Value: float64(n)} }

func duration(d time.Duration) Metric {
	return Metric{Name: "Duration", Unit: "Milliseconds", Value: float64(d.Microseconds()) / 1000}
}
