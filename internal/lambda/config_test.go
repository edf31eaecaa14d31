package lambda

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/cluster"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfig(t *testing.T) {
	def := cluster.DefaultParams()
	tests := []struct {
		name    string
		cluster bool
		env     map[string]string
		wantErr []string // substrings; nil = no error
		check   func(t *testing.T, c Config)
	}{
		{
			name: "ingest defaults", env: map[string]string{"TABLE_NAME": "t"},
			check: func(t *testing.T, c Config) {
				if c.Table != "t" || c.ReportsPrefix != "reports/" || c.WindowDays != 30 || c.MaxArticleBytes != 5242880 ||
					c.ScanSegments != 4 || c.LogLevel != slog.LevelInfo || c.Params != def ||
					c.TombstoneTTL() != 90*24*time.Hour || c.EventBus != "" {
					t.Errorf("defaults: %+v", c)
				}
			},
		},
		{
			name: "cluster with every variable", cluster: true,
			env: map[string]string{"TABLE_NAME": "t", "REPORTS_BUCKET": "b", "UPLOADS_BUCKET": "u", "REPORTS_PREFIX": "out/",
				"WINDOW_DAYS": "7", "MAX_ARTICLE_BYTES": "1024", "STORY_THRESHOLD": "0.35", "COPY_CONTAINMENT": "1",
				"LOG_LEVEL": "debug", "SCAN_SEGMENTS": "16", "TOMBSTONE_DAYS": "0", "EVENT_BUS_NAME": "default"},
			check: func(t *testing.T, c Config) {
				if c.TombstoneTTL() != 0 || c.EventBus != "default" {
					t.Errorf("TOMBSTONE_DAYS=0 / EVENT_BUS_NAME: %+v", c)
				}
				if c.ReportsBucket != "b" || c.UploadsBucket != "u" || c.ReportsPrefix != "out/" || c.WindowDays != 7 ||
					c.MaxArticleBytes != 1024 || c.Params.StoryThreshold != 0.35 || c.Params.CopyContainment != 1 ||
					c.LogLevel != slog.LevelDebug || c.ScanSegments != 16 || c.Limits().MaxBytes != 1024 {
					t.Errorf("parsed: %+v", c)
				}
				if c.Params.LSHBands != def.LSHBands {
					t.Error("other parameters should keep their defaults")
				}
			},
		},
		{
			name: "empty thresholds mean the engine defaults; uploads bucket defaults to reports bucket", cluster: true,
			env: map[string]string{"TABLE_NAME": "t", "REPORTS_BUCKET": "b", "STORY_THRESHOLD": "", "COPY_CONTAINMENT": " "},
			check: func(t *testing.T, c Config) {
				if c.Params != def || c.UploadsBucket != "b" {
					t.Errorf("parsed: %+v", c)
				}
			},
		},
		{
			name: "window 0 means every record", env: map[string]string{"TABLE_NAME": "t", "WINDOW_DAYS": "0", "LOG_LEVEL": "WARN"},
			check: func(t *testing.T, c Config) {
				if c.WindowDays != 0 || c.LogLevel != slog.LevelWarn {
					t.Errorf("parsed: %+v", c)
				}
			},
		},
		{name: "ingest needs a table", env: map[string]string{}, wantErr: []string{"TABLE_NAME is required"}},
		{name: "cluster needs the reports bucket", cluster: true, env: map[string]string{"TABLE_NAME": "t"}, wantErr: []string{"REPORTS_BUCKET is required"}},
		{
			name: "every bad value is reported at once",
			env: map[string]string{"TABLE_NAME": "t", "WINDOW_DAYS": "-1", "MAX_ARTICLE_BYTES": "5MB", "STORY_THRESHOLD": "1.5",
				"COPY_CONTAINMENT": "0", "LOG_LEVEL": "loud", "SCAN_SEGMENTS": "0", "TOMBSTONE_DAYS": "-3"},
			wantErr: []string{`WINDOW_DAYS="-1"`, `MAX_ARTICLE_BYTES="5MB"`, `STORY_THRESHOLD="1.5"`, `COPY_CONTAINMENT="0"`, `LOG_LEVEL="loud"`, `SCAN_SEGMENTS="0"`, `TOMBSTONE_DAYS="-3"`},
		},
		{name: "NaN threshold", env: map[string]string{"TABLE_NAME": "t", "STORY_THRESHOLD": "NaN"}, wantErr: []string{"STORY_THRESHOLD"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			load := IngestConfig
			if tc.cluster {
				load = ClusterConfig
			}
			c, err := load(envOf(tc.env))
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; config %+v", c)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int64
	}{
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "4096"}, 4096 << 20 * 85 / 100},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "4096", "GOMEMLIMIT": "1GiB"}, 0},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"}, 0},
		{map[string]string{}, 0},
	} {
		if got := MemoryLimit(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %d, want %d", tc.env, got, tc.want)
		}
	}
}
