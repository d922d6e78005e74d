//! Writes a deterministic benchmark corpus shaped like the reference post (a Chinese news
//! site): `cargo run --release --example gen_corpus -- N DIR`.
//!
//! Each post: YAML front matter (`layout`, quoted Chinese `title`, `date`, one of 20
//! `categories`, a Chinese tag) and a body of 2–8 KB of Chinese HTML paragraphs with an image
//! and Markdown links, as the reference post has. Dates: 85 % `+0800`, 10 % without an
//! offset, 5 % other offsets. The same N always gives the same bytes.

use std::fmt::Write as _;
use std::path::PathBuf;

const CATEGORIES: [&str; 20] = [
    "dajiangwang",
    "caijing",
    "keji",
    "tiyu",
    "wenhua",
    "jiaoyu",
    "jiankang",
    "qiche",
    "fangchan",
    "lvyou",
    "shehui",
    "guoji",
    "junshi",
    "yule",
    "nongye",
    "huanbao",
    "falv",
    "meishi",
    "shuma",
    "zhengwu",
];
const TAGS: [&str; 8] = [
    "大江网新闻",
    "财经要闻",
    "科技前沿",
    "体育快讯",
    "文化视点",
    "教育动态",
    "健康生活",
    "地方新闻",
];
const OTHER_OFFSETS: [&str; 5] = ["+0000", "-0500", "+0530", "+0900", "-0800"];
/// Common characters of news prose, drawn at random into sentences.
const HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";
const PUNCTUATION: [&str; 4] = ["，", "，", "、", "；"];

/// splitmix64: a tiny, well-mixed generator; no dependency, same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, hanzi: &[char], chars: usize) -> String {
    let mut s = String::new();
    for i in 0..chars {
        s.push(hanzi[rng.below(hanzi.len())]);
        if i > 0 && i % 9 == 0 && i + 3 < chars {
            s.push_str(PUNCTUATION[rng.below(PUNCTUATION.len())]);
        }
    }
    s.push('。');
    s
}

fn post(i: usize, hanzi: &[char]) -> (String, String) {
    let mut rng = Rng(i as u64 ^ 0x5EED);
    let day_index = i * 97 % 1826; // about five years of days, scattered
    let date = chrono_like_date(2020, day_index);
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    let offset = match rng.below(100) {
        0..=84 => " +0800".to_string(),
        85..=94 => String::new(),
        _ => format!(" {}", OTHER_OFFSETS[rng.below(OTHER_OFFSETS.len())]),
    };
    let category = CATEGORIES[rng.below(CATEGORIES.len())];
    let tag = TAGS[rng.below(TAGS.len())];
    let title_len = 12 + rng.below(16);
    let mut title = sentence(&mut rng, hanzi, title_len);
    title.pop();

    let target = 2048 + rng.below(6 * 1024);
    let mut body = String::with_capacity(target + 512);
    let mut paragraph = 0;
    while body.len() < target {
        let chars = 60 + rng.below(120);
        body.push_str(if paragraph == 0 { "<p>" } else { " <p>" });
        body.push_str(&sentence(&mut rng, hanzi, chars));
        body.push_str("</p>\n");
        if paragraph == 2 {
            let _ = writeln!(
                body,
                " <p><img src=\"/uploads/{}/{i}.jpg\" alt=\"{}\"></p>",
                date.0,
                sentence(&mut rng, hanzi, 6)
            );
        }
        paragraph += 1;
    }
    let _ = write!(
        body,
        "\n<http://www.example-news.cn/{category}/{i}.html>\n\n[返回](//www.example-news.cn/{category}/)｜[首页](//www.example-news.cn/)\n"
    );
    let file = format!("{}-{i:06}.md", date.1);
    let text = format!(
        "---\nlayout: post\ntitle: \"{title}\"\ndate: {} {h:02}:{m:02}:{s:02}{offset}\ncategories: {category}\ntags: {tag}\n---\n{body}",
        date.1
    );
    (file, text)
}

/// (`YYYY/MM`, `YYYY-MM-DD`) of the `day_index`-th day after 1 January of `year`, with no
/// date library: month lengths by hand.
fn chrono_like_date(mut year: usize, mut day_index: usize) -> (String, String) {
    loop {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = if leap { 366 } else { 365 };
        if day_index < days {
            let months = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut month = 0;
            while day_index >= months[month] {
                day_index -= months[month];
                month += 1;
            }
            return (
                format!("{year}/{:02}", month + 1),
                format!("{year}-{:02}-{:02}", month + 1, day_index + 1),
            );
        }
        day_index -= days;
        year += 1;
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_corpus N DIR");
        std::process::exit(2);
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("gen_corpus: N must be a number, got {n:?}");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let hanzi: Vec<char> = HANZI.chars().collect();
    // Sub-folders of 1,000 posts, as large sites shard them; the walk is recursive anyway.
    for i in 0..n {
        let (name, text) = post(i, &hanzi);
        let folder = dir.join(format!("{:03}", i / 1000));
        if i.is_multiple_of(1000) {
            if let Err(e) = std::fs::create_dir_all(&folder) {
                eprintln!("gen_corpus: {}: {e}", folder.display());
                std::process::exit(1);
            }
        }
        if let Err(e) = std::fs::write(folder.join(name), text) {
            eprintln!("gen_corpus: {}: {e}", folder.display());
            std::process::exit(1);
        }
    }
}
