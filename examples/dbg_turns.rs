fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bot = guichet::Bot::from_path(&args[0]).unwrap_or_else(|e| panic!("{e}"));
    let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let lang = args[1].parse().ok();
    let mut s = bot.new_session(lang, 0);
    for m in &args[2..] {
        let input = if let Some(b) = m.strip_prefix('+') {
            guichet::Input::Button(b.into())
        } else {
            guichet::Input::text(m.clone())
        };
        let out = bot.turn_traced(&mut s, input, now);
        println!("> {m}");
        for t in out.trace {
            println!("   . {t}");
        }
        for e in out.events {
            println!("   {}", serde_json::to_string(&e).unwrap());
        }
    }
}
