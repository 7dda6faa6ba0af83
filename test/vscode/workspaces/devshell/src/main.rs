fn main() {
    // The type error rust-analyzer must report through Nixify's language client.
    let x: u32 = "a";
    println!("{x}");
}
