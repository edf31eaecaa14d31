package signature

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, tt := range [][2]string{
		{"zh", "国家主席习近平周二在北京会见了法国总统。新华社报道说：「会谈很成功。」他说。"},
		{"ja", "東京都の小池知事は火曜日、記者会見で「対策を急ぐ」と述べた。NHKが報じた。"},
		{"th", "นายกรัฐมนตรีเดินทางไปเชียงใหม่ วันนี้มีการประชุม"},
		{"hi", "प्रधानमंत्री नरेंद्र मोदी ने मंगलवार को नई दिल्ली में मुलाकात की। बैठक दो घंटे चली।"},
		{"fr", "« Nous allons gagner », a déclaré l'homme. Le président d'Europe arrive."},
		{"ar", "قال الرئيس إن الاجتماع كان ناجحا؟ نعم."},
		{"ru", "Президент России Владимир Путин провёл переговоры. «Это важно», — сказал он."},
	} {
		var z tokenizer
		z.runUnicode(tt[1], rulesFor(tt[0]))
		var out []string
		for _, k := range z.toks {
			s := tt[1][k.at:k.atEnd()]
			if k.flags&tQuoted != 0 {
				s = "q:" + s
			}
			if k.flags&tDigit != 0 {
				s = "-" + s
			}
			if k.flags&tSentEnd != 0 {
				s += " |"
			}
			out = append(out, s)
		}
		fmt.Println(tt[0], identify("", tt[1]), out)
	}
}
