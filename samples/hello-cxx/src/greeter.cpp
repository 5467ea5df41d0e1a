// A C++ class, std::string and std::thread: the C++ runtime (libstdc++,
// and on Windows its DLLs or the posix thread model) is really needed.
#include <cstring>
#include <string>
#include <thread>

namespace {
class Greeter {
public:
    explicit Greeter(std::string name) : name_(std::move(name)) {}
    std::string greet() const { return "hello from C++, " + name_; }
private:
    std::string name_;
};
}

extern "C" size_t greeter_greet(const char *name, char *out, size_t n) {
    std::string text;
    std::thread worker([&] { text = Greeter(name).greet(); });
    worker.join();
    if (n == 0)
        return text.size();
    size_t k = text.size() < n - 1 ? text.size() : n - 1;
    std::memcpy(out, text.data(), k);
    out[k] = '\0';
    return text.size();
}
