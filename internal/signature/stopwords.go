package signature

// stopwords are function words and the verbs of attribution every news
// article uses ("said", "told"): they carry no topic and would make every
// article look like every other. They still count inside shingles.
var stopwords = []string{
	"a", "about", "above", "after", "again", "against", "ago", "all", "almost", "along", "already", "also",
	"although", "always", "am", "among", "an", "and", "another", "any", "are", "around", "as", "at", "away",
	"back", "be", "became", "because", "become", "been", "before", "being", "below", "between", "both", "but",
	"by", "came", "can", "cannot", "come", "could", "day", "did", "do", "does", "doing", "done", "down",
	"during", "each", "early", "either", "else", "enough", "even", "ever", "every", "few", "first", "for",
	"former", "from", "further", "get", "go", "going", "got", "had", "has", "have", "having", "he", "her",
	"here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "including",
	"into", "is", "it", "its", "itself", "just", "last", "later", "least", "less", "like", "made", "make",
	"many", "may", "me", "might", "more", "most", "mr", "mrs", "ms", "much", "must", "my", "near", "nearly",
	"never", "new", "next", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only",
	"or", "other", "others", "our", "ours", "out", "over", "own", "per", "put", "rather", "really", "recent",
	"recently", "said", "same", "say", "saying", "say", "see", "seen", "several", "she", "should", "since",
	"so", "some", "still", "such", "take", "taken", "than", "that", "the", "their", "theirs", "them",
	"themselves", "then", "there", "these", "they", "thing", "think", "this", "those", "though", "three",
	"through", "thus", "time", "to", "today", "told", "too", "took", "toward", "two", "under", "until", "up",
	"upon", "us", "use", "used", "very", "via", "want", "was", "way", "we", "week", "well", "were", "what",
	"when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
	"without", "would", "year", "yet", "you", "your", "yours", "according", "added", "adding", "asked",
	"called", "continue", "didn", "doesn", "don", "isn", "wasn", "aren", "weren", "won", "wouldn", "couldn",
	"shouldn", "let", "lot", "part", "people", "percent", "reported", "report", "statement", "tell", "tuesday",
	"monday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "tomorrow", "tonight",
	"morning", "evening", "night", "month", "news", "according", "told", "stated", "says", "noted",
}
