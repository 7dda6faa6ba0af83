pub fn greeting(who: &str) -> String {
    format!("hello from {who}")
}
