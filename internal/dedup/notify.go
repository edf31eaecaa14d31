package dedup

import "context"

// Published describes a report that was just published: its files are in
// place and latest.json points at it.
type Published struct {
	ReportKey   string `json:"report_key"` // the dated JSON report; .html and .csv sit next to it
	LatestKey   string `json:"latest_key"`
	GeneratedAt string `json:"generated_at"`
	From        string `json:"window_from,omitempty"`
	To          string `json:"window_to,omitempty"`
	Articles    int    `json:"articles"`
	Stories     int    `json:"stories"`
	NewStories  int    `json:"new_stories"` // stories no story of the previous report continues
	CopyGroups  int    `json:"copy_groups"`
	Rewrites    int    `json:"rewrites"`
	Rejected    int    `json:"rejected"`
}

// Notifier tells the world that a report was published (an EventBridge
// event on AWS). It is called only after the report is in place.
type Notifier interface {
	ReportPublished(ctx context.Context, p Published) error
}
