//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BuildBootstrap compiles the Lambda function package pkg (for example
// "./functions/ingest", relative to moduleDir) as dir/bootstrap the way
// it is deployed (CGO_ENABLED=0, GOOS=linux, -tags lambda.norpc), for the
// host's architecture so that it runs here; it returns the binary's path.
func BuildBootstrap(ctx context.Context, moduleDir, pkg, dir string) (string, error) {
	out := filepath.Join(dir, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", out, pkg)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s: %w\n%s", pkg, err, msg)
	}
	return out, nil
}

// RIEPath finds the aws-lambda-rie binary: $NEWSDEDUP_RIE if set, else
// $HOME/.cache/newsdedup/bin/aws-lambda-rie (linked by infra/local/install.sh),
// else the copy shipped in the aws-sam-cli wheel under
// $HOME/.cache/newsdedup/sam-venv.
func RIEPath() (string, error) {
	if p := os.Getenv("NEWSDEDUP_RIE"); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	cache := filepath.Join(home, ".cache", "newsdedup")
	if p := filepath.Join(cache, "bin", "aws-lambda-rie"); isExecutable(p) {
		return p, nil
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	var found string
	_ = filepath.WalkDir(filepath.Join(cache, "sam-venv"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "aws-lambda-rie-"+arch && isExecutable(p) {
			found = p
			return fs.SkipAll
		}
		return nil
	})
	if found == "" {
		return "", fmt.Errorf("aws-lambda-rie not found in %s/bin or %s/sam-venv; run infra/local/install.sh sam", cache, cache)
	}
	return found, nil
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
}

// Function is a Lambda function running under the Runtime Interface
// Emulator, on loopback ports of its own.
type Function struct {
	URL  string // the invocation endpoint
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
	err  error // the process's exit, once done is closed
}

// StartFunction starts aws-lambda-rie (at rie) running bootstrap, with
// exactly the environment env (nothing is inherited: the function sees what
// Lambda would give it plus env). It listens on 127.0.0.1 only, on two free
// ports (invocations, and the runtime API between RIE and the bootstrap:
// its default, 127.0.0.1:9001, is MinIO's console port). Its output (the
// function's logs and RIE's START/END/REPORT lines) is copied to logw if
// not nil and kept for Logs. Stop it with Stop.
func StartFunction(ctx context.Context, rie, bootstrap string, env []string, logw io.Writer) (*Function, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	apiAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	f := &Function{URL: "http://" + addr + "/2015-03-31/functions/function/invocations", logs: &syncBuffer{}, done: make(chan struct{})}
	var out io.Writer = f.logs
	if logw != nil {
		out = io.MultiWriter(f.logs, logw)
	}
	f.cmd = exec.Command(rie, "--log-level", "error",
		"--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, bootstrap)
	f.cmd.Dir = filepath.Dir(bootstrap)
	f.cmd.Env = env
	f.cmd.Stdout, f.cmd.Stderr = out, out
	f.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Stop signals RIE and the bootstrap it started
	if err := f.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", rie, err)
	}
	go func() { f.err = f.cmd.Wait(); close(f.done) }()

	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return f, nil
		}
		select {
		case <-f.done:
			return nil, fmt.Errorf("aws-lambda-rie exited during startup (%v):\n%s", f.err, f.logs.String())
		case <-ctx.Done():
			f.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			f.Stop()
			return nil, fmt.Errorf("aws-lambda-rie did not listen on %s within 15s:\n%s", addr, f.logs.String())
		}
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// FunctionError is an error the function returned (RIE answers 200 with
// the error as the body, without Lambda's X-Amz-Function-Error header).
type FunctionError struct {
	Message string `json:"errorMessage"`
	Type    string `json:"errorType"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// Invoke sends payload to the function and returns its response. An error
// the function returned is a *FunctionError.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", f.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: read response: %w", f.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("invoke %s: HTTP %s: %s", f.URL, resp.Status, body)
	}
	var fe FunctionError
	if json.Unmarshal(body, &fe) == nil && fe.Message != "" && fe.Type != "" {
		return body, &fe
	}
	return body, nil
}

// Logs returns everything the function and RIE printed so far.
func (f *Function) Logs() string { return f.logs.String() }

// Stop terminates RIE and the bootstrap (SIGTERM, then SIGKILL after 5s)
// and waits for them.
func (f *Function) Stop() {
	select {
	case <-f.done:
		return
	default:
	}
	pgid := f.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-f.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-f.done
	}
}

// Env returns the environment a locally run function gets: the emulators'
// endpoints and credentials from this process's environment, the region,
// no shared config files, no instance metadata, and then vars (NAME=value)
// for the function's own settings.
func Env(vars ...string) ([]string, error) {
	if err := CheckLoopback(EnvS3, EnvDynamoDB); err != nil {
		return nil, err
	}
	env := []string{
		"AWS_REGION=" + Region, "AWS_DEFAULT_REGION=" + Region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
	for _, name := range []string{EnvS3, EnvDynamoDB, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		v := os.Getenv(name)
		if v == "" {
			return nil, fmt.Errorf("%s is not set; %s", name, EnvHint)
		}
		env = append(env, name+"="+v)
	}
	for _, v := range vars {
		if !strings.Contains(v, "=") {
			return nil, fmt.Errorf("environment entry %q is not NAME=value", v)
		}
	}
	return append(env, vars...), nil
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
