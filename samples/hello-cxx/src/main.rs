use std::ffi::CStr;
use std::os::raw::c_char;

extern "C" {
    fn greeter_greet(name: *const c_char, out: *mut c_char, n: usize) -> usize;
}

fn main() {
    let mut buf = [0 as c_char; 128];
    let name = b"cross\0";
    let len = unsafe { greeter_greet(name.as_ptr() as *const c_char, buf.as_mut_ptr(), buf.len()) };
    let text = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy();
    println!("hello-cxx: arch={} {} ({} bytes)", std::env::consts::ARCH, text, len);
}
