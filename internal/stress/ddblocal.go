package stress

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/newsdedup/newsdedup/internal/e2e"
)

// DDBLocal is a DynamoDB Local instance of its own, on another loopback
// port, persisting to disk (-dbPath; DDB_IN_MEMORY=0), started and stopped
// by infra/local/up.sh and down.sh (per-port instances, see
// infra/local/README.md), so that a test can kill it without touching the
// shared in-memory instance. up.sh also ensures MinIO on the environment's
// S3 port: it reuses the running one.
type DDBLocal struct {
	Port    int
	root    string // module root
	state   string // $NEWSDEDUP_CACHE/state
	env     []string
	logs    []string
	upSince time.Time
}

// StartDDBLocal starts an instance on a free loopback port.
func StartDDBLocal(ctx context.Context, root string) (*DDBLocal, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s3u, err := url.Parse(os.Getenv(e2e.EnvS3))
	if err != nil || s3u.Port() == "" {
		return nil, fmt.Errorf("%s=%q has no port; %s", e2e.EnvS3, os.Getenv(e2e.EnvS3), e2e.EnvHint)
	}
	cache := os.Getenv("NEWSDEDUP_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		cache = filepath.Join(home, ".cache", "newsdedup")
	}
	d := &DDBLocal{Port: port, root: root, state: filepath.Join(cache, "state")}
	d.env = append(os.Environ(),
		"DDB_PORT="+strconv.Itoa(port), "DDB_IN_MEMORY=0", "MINIO_PORT="+s3u.Port(),
		"EMULATOR_FALLBACK=none", // a moto stand-in would not test DynamoDB Local's persistence
		"NEWSDEDUP_ENV_FILE="+filepath.Join(os.TempDir(), fmt.Sprintf("newsdedup-env-%d.sh", port)),
	)
	// A data folder left on this port by an earlier, crashed run would
	// bring its tables back: remove it first.
	if err := d.script(ctx, "down.sh", "dynamodb"); err != nil {
		return nil, err
	}
	if err := d.script(ctx, "up.sh"); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *DDBLocal) script(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(d.root, "infra", "local", name), args...)
	cmd.Env = d.env
	out, err := cmd.CombinedOutput()
	d.logs = append(d.logs, fmt.Sprintf("$ %s %s\n%s", name, strings.Join(args, " "), out))
	if err != nil {
		return fmt.Errorf("infra/local/%s %s (DDB_PORT=%d): %w\n%s", name, strings.Join(args, " "), d.Port, err, out)
	}
	return nil
}

// URL is the instance's endpoint.
func (d *DDBLocal) URL() string { return "http://127.0.0.1:" + strconv.Itoa(d.Port) }

// DataDir is where the instance keeps its tables.
func (d *DDBLocal) DataDir() string {
	return filepath.Join(d.state, "dynamodb-"+strconv.Itoa(d.Port), "data")
}

// PID returns the pid up.sh recorded for the instance.
func (d *DDBLocal) PID() (int, error) {
	b, err := os.ReadFile(filepath.Join(d.state, "dynamodb-"+strconv.Itoa(d.Port), "pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// Kill sends SIGKILL to the instance (after checking that the pid is the
// DynamoDB Local java process listening on this port) and waits until the
// port refuses connections. It returns the pid it killed.
func (d *DDBLocal) Kill() (int, error) {
	pid, err := d.PID()
	if err != nil {
		return 0, err
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return 0, fmt.Errorf("pid %d: %w", pid, err)
	}
	cl := strings.ReplaceAll(string(cmdline), "\x00", " ")
	if !strings.Contains(cl, "ServerRunner") || !strings.Contains(cl, "-port "+strconv.Itoa(d.Port)) {
		return 0, fmt.Errorf("pid %d is not DynamoDB Local on port %d: %s", pid, d.Port, cl)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return 0, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(d.Port), 100*time.Millisecond)
		if err != nil {
			return pid, nil
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	return pid, fmt.Errorf("port %d still answers 10 s after SIGKILL to pid %d", d.Port, pid)
}

// Restart starts the instance again on the same port and data folder
// (up.sh notices the dead pid and starts a new server). UpSince tells when
// the new server first accepted a connection.
func (d *DDBLocal) Restart(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	up := make(chan time.Time, 1)
	go func() {
		defer close(up)
		for ctx.Err() == nil {
			c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(d.Port), 100*time.Millisecond)
			if err == nil {
				c.Close()
				up <- time.Now()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	if err := d.script(ctx, "up.sh"); err != nil {
		return err
	}
	d.upSince = <-up
	return nil
}

// UpSince is when the server restarted by Restart first accepted a connection.
func (d *DDBLocal) UpSince() time.Time { return d.upSince }

// Stop stops the instance and removes its data and, unless keepLog (say,
// when the test failed), its log ($CACHE/state/logs/dynamodb-PORT-*.log).
func (d *DDBLocal) Stop(ctx context.Context, keepLog bool) error {
	if err := d.script(ctx, "down.sh", "dynamodb"); err != nil {
		return err
	}
	if keepLog {
		return nil
	}
	logs, err := filepath.Glob(filepath.Join(d.state, "logs", fmt.Sprintf("dynamodb-%d-*.log", d.Port)))
	if err != nil {
		return err
	}
	for _, l := range logs {
		if err := os.Remove(l); err != nil {
			return err
		}
	}
	return nil
}

// Logs returns the scripts' output so far.
func (d *DDBLocal) Logs() string { return strings.Join(d.logs, "\n") }
