fn main() {
    println!("flaky");
}
