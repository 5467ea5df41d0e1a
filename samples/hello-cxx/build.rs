fn main() {
    println!("cargo:rerun-if-changed=src/greeter.cpp");
    cc::Build::new()
        .cpp(true)
        .file("src/greeter.cpp")
        .compile("greeter");
}
