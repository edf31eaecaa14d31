package stress

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsdedup/newsdedup/internal/lambda"
)

// Handler is an ingest function: lambda.IngestHandler.Handle.
type Handler func(ctx context.Context, ev events.S3Event) (lambda.IngestResult, error)

// Options of Deliver.
type Options struct {
	// Workers: concurrent simulated Lambda instances, each calling its own
	// handler (Handlers(i)) one event at a time.
	Workers  int
	Handlers func(worker int) Handler
	// MaxDeliveries bounds how often one event is delivered: Lambda's async
	// retry re-delivers an event whose invocation returned an error. 0 means
	// LambdaDeliveries.
	MaxDeliveries int
	// RetryDelay is the wait before delivery number attempt+1 (attempt >= 1);
	// Lambda waits about a minute, then two. nil means 200ms·2^(attempt-1),
	// at most 3 s.
	RetryDelay func(attempt int) time.Duration
	// Timeout is the deadline of each invocation's context; 0 means
	// FunctionTimeout.
	Timeout time.Duration
	// Interval spaces the first deliveries (events arriving over time); 0
	// sends them as fast as the workers take them.
	Interval time.Duration
	// After, if not nil, is called after every invocation (from the
	// worker's goroutine).
	After func(Invocation)
}

// Invocation is one call of a handler.
type Invocation struct {
	Event   int // index into the events
	Attempt int // 1 for the first delivery
	Worker  int
	Start   time.Time
	Dur     time.Duration
	Result  lambda.IngestResult
	Err     error
}

// Outcome is what Deliver saw.
type Outcome struct {
	Invocations []Invocation
	Wall        time.Duration // from the first delivery to the last invocation's end
	Deliveries  []int         // per event: how often it was delivered
	Failed      []int         // events whose last delivery still failed (Lambda would send them to the failure queue)
}

type item struct{ event, attempt int }

// Deliver hands every event to the workers' handlers, re-delivering an
// event whose invocation returned an error after RetryDelay, up to
// MaxDeliveries times, and returns every invocation. It returns when every
// event has succeeded or used up its deliveries, or ctx ends.
func Deliver(ctx context.Context, evs []events.S3Event, o Options) Outcome {
	if o.MaxDeliveries <= 0 {
		o.MaxDeliveries = LambdaDeliveries
	}
	if o.RetryDelay == nil {
		o.RetryDelay = func(attempt int) time.Duration {
			return min(3*time.Second, 200*time.Millisecond<<min(attempt-1, 10))
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = FunctionTimeout
	}
	out := Outcome{Deliveries: make([]int, len(evs))}
	queue := make(chan item, len(evs)) // an event is queued at most once at a time
	var (
		mu      sync.Mutex
		pending sync.WaitGroup
		workers sync.WaitGroup
	)
	pending.Add(len(evs))
	start := time.Now()
	for w := range o.Workers {
		h := o.Handlers(w)
		workers.Go(func() {
			for it := range queue {
				if ctx.Err() != nil {
					pending.Done()
					continue
				}
				ictx, cancel := context.WithTimeout(ctx, o.Timeout)
				inv := Invocation{Event: it.event, Attempt: it.attempt, Worker: w, Start: time.Now()}
				inv.Result, inv.Err = h(ictx, evs[it.event])
				inv.Dur = time.Since(inv.Start)
				cancel()
				mu.Lock()
				out.Invocations = append(out.Invocations, inv)
				out.Deliveries[it.event] = it.attempt
				retry := inv.Err != nil && it.attempt < o.MaxDeliveries
				if inv.Err != nil && !retry {
					out.Failed = append(out.Failed, it.event)
				}
				mu.Unlock()
				if o.After != nil {
					o.After(inv)
				}
				if retry {
					next := item{it.event, it.attempt + 1}
					time.AfterFunc(o.RetryDelay(it.attempt), func() { queue <- next })
					continue
				}
				pending.Done()
			}
		})
	}
	go func() {
		for i := range evs {
			if i > 0 && o.Interval > 0 {
				select {
				case <-time.After(o.Interval):
				case <-ctx.Done():
				}
			}
			queue <- item{i, 1}
		}
	}()
	pending.Wait()
	close(queue)
	workers.Wait()
	out.Wall = time.Since(start)
	slices.Sort(out.Failed)
	return out
}

// Errors returns the invocations that returned an error.
func (o *Outcome) Errors() []Invocation {
	var errs []Invocation
	for _, inv := range o.Invocations {
		if inv.Err != nil {
			errs = append(errs, inv)
		}
	}
	return errs
}

// Retried counts the events delivered more than once, and those that
// needed more deliveries than Lambda makes (LambdaDeliveries): in AWS those
// would have gone to the failure queue.
func (o *Outcome) Retried() (retried, beyondLambda, maxDeliveries int) {
	for _, n := range o.Deliveries {
		if n > 1 {
			retried++
		}
		if n > LambdaDeliveries {
			beyondLambda++
		}
		maxDeliveries = max(maxDeliveries, n)
	}
	return retried, beyondLambda, maxDeliveries
}

// Latency summarises invocation durations.
type Latency struct {
	P50, P95, P99, Max time.Duration
}

// Latencies returns the nearest-rank percentiles of every invocation's
// duration.
func (o *Outcome) Latencies() Latency {
	ds := make([]time.Duration, len(o.Invocations))
	for i, inv := range o.Invocations {
		ds[i] = inv.Dur
	}
	return Percentiles(ds)
}

// Percentiles returns nearest-rank percentiles of ds (sorted in place).
func Percentiles(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration {
		i := int(math.Ceil(p/100*float64(len(ds)))) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	return Latency{P50: at(50), P95: at(95), P99: at(99), Max: ds[len(ds)-1]}
}

// Ms is d in milliseconds with one decimal, for reports.
func Ms(d time.Duration) float64 { return math.Round(float64(d)/1e5) / 10 }

func (l Latency) String() string {
	return fmt.Sprintf("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", Ms(l.P50), Ms(l.P95), Ms(l.P99), Ms(l.Max))
}
