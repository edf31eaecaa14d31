// Package reportschema checks a report.json against report.JSONSchema with
// github.com/santhosh-tekuri/jsonschema/v6, the one package that imports it.
package reportschema

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsdedup/newsdedup/internal/report"
)

const schemaURL = "https://github.com/newsdedup/newsdedup/internal/report/report.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.JSONSchema))
	if err != nil {
		return nil, fmt.Errorf("reportschema: read the schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time is checked, not just annotated
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("reportschema: %w", err)
	}
	return c.Compile(schemaURL)
})

// Validate checks that data is one report.json conforming to the schema;
// the error lists every violation with its place in the document.
func Validate(data []byte) error {
	s, err := compiled()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("reportschema: not JSON: %w", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("reportschema: %w", err)
	}
	return nil
}
