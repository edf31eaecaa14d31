package lambda

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
)

// Defaults for the optional settings.
const (
	DefaultReportsPrefix = "reports/"
	DefaultWindowDays    = 30
	DefaultTombstoneDays = 90 // see docs/OPERATIONS.md
)

// Config is the functions' configuration, read from their environment (the
// variables are set in template.yaml).
type Config struct {
	Table           string         // TABLE_NAME (required)
	ReportsBucket   string         // REPORTS_BUCKET (required by cluster)
	ReportsPrefix   string         // REPORTS_PREFIX, default "reports/"
	UploadsBucket   string         // UPLOADS_BUCKET: where cluster reads articles back for shared passages; default REPORTS_BUCKET
	WindowDays      int            // WINDOW_DAYS, default 30; 0 reports on every stored record
	MaxArticleBytes int64          // MAX_ARTICLE_BYTES, default article.DefaultMaxBytes
	ScanSegments    int            // SCAN_SEGMENTS, parallel DynamoDB Scan segments, default dynamodb.DefaultSegments
	Params          cluster.Params // cluster.DefaultParams with STORY_THRESHOLD and COPY_CONTAINMENT when set
	LogLevel        slog.Level     // LOG_LEVEL: debug, info (default), warn or error
	TombstoneDays   int            // TOMBSTONE_DAYS: days before a tombstone may expire, default 90; 0 never
	EventBus        string         // EVENT_BUS_NAME: where cluster announces a published report; "" = nowhere
}

// IngestConfig reads the ingest function's configuration. The uploads
// bucket is not configured: each S3 event record names its bucket.
func IngestConfig(getenv func(string) string) (Config, error) {
	return parse(getenv, "TABLE_NAME")
}

// ClusterConfig reads the cluster function's configuration.
func ClusterConfig(getenv func(string) string) (Config, error) {
	return parse(getenv, "TABLE_NAME", "REPORTS_BUCKET")
}

func parse(getenv func(string) string, required ...string) (Config, error) {
	var errs []error
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	for _, name := range required {
		if get(name) == "" {
			errs = append(errs, fmt.Errorf("%s is required", name))
		}
	}
	c := Config{
		Table:           get("TABLE_NAME"),
		ReportsBucket:   get("REPORTS_BUCKET"),
		ReportsPrefix:   DefaultReportsPrefix,
		UploadsBucket:   get("UPLOADS_BUCKET"),
		WindowDays:      DefaultWindowDays,
		MaxArticleBytes: article.DefaultMaxBytes,
		ScanSegments:    dynamodb.DefaultSegments,
		Params:          cluster.DefaultParams(),
		LogLevel:        slog.LevelInfo,
		TombstoneDays:   DefaultTombstoneDays,
		EventBus:        get("EVENT_BUS_NAME"),
	}
	if v := get("REPORTS_PREFIX"); v != "" {
		c.ReportsPrefix = v
	}
	if c.UploadsBucket == "" {
		c.UploadsBucket = c.ReportsBucket
	}
	intVar := func(name string, lo, hi int64, set func(int64)) {
		v := get(name)
		if v == "" {
			return
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s=%q: want an integer in [%d, %d]", name, v, lo, hi))
			return
		}
		set(n)
	}
	intVar("WINDOW_DAYS", 0, 36500, func(n int64) { c.WindowDays = int(n) })
	intVar("MAX_ARTICLE_BYTES", 1, 1<<40, func(n int64) { c.MaxArticleBytes = n })
	intVar("SCAN_SEGMENTS", 1, 1000, func(n int64) { c.ScanSegments = int(n) })
	intVar("TOMBSTONE_DAYS", 0, 36500, func(n int64) { c.TombstoneDays = int(n) })
	fraction := func(name string, set func(float64)) {
		v := get(name)
		if v == "" {
			return // empty = the engine's default
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f <= 1) {
			errs = append(errs, fmt.Errorf("%s=%q: want a number in (0, 1], or empty for the default", name, v))
			return
		}
		set(f)
	}
	fraction("STORY_THRESHOLD", func(f float64) { c.Params.StoryThreshold = f })
	fraction("COPY_CONTAINMENT", func(f float64) { c.Params.CopyContainment = f })
	if v := get("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}

// Logger returns a JSON logger at the configured level writing to w
// (os.Stdout in Lambda, where each line becomes a CloudWatch event).
func (c Config) Logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: c.LogLevel}))
}

// TombstoneTTL is how long a tombstone is kept (0: for ever).
func (c Config) TombstoneTTL() time.Duration {
	return time.Duration(c.TombstoneDays) * 24 * time.Hour
}

// Limits returns the article limits for dedup.Service.
func (c Config) Limits() article.Limits { return article.Limits{MaxBytes: c.MaxArticleBytes} }

// MemoryLimit returns the soft heap limit for a function of the memory size
// Lambda reports (AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in MB): 85% of it, so the
// garbage collector works harder instead of letting the heap double past the
// function's memory. It returns 0 when GOMEMLIMIT is set (the runtime already
// honours it) or the size is unknown.
func MemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	mb, err := strconv.ParseInt(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 10, 64)
	if err != nil || mb <= 0 {
		return 0
	}
	return mb << 20 * 85 / 100
}

// loggerOf is a handler's logger: its own, else its service's, else the default.
func loggerOf(own *slog.Logger, svc *dedup.Service) *slog.Logger {
	switch {
	case own != nil:
		return own
	case svc != nil && svc.Log != nil:
		return svc.Log
	}
	return slog.Default()
}
