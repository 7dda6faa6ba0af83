pub fn solo() -> u32 {
    1
}
