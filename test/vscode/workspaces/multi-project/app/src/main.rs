fn main() {
    println!("{}", cats::meow());
}
