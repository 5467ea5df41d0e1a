// Package main is a C shared library written in Go, as a Fluent Bit
// output plugin is: built with cgo (-buildmode c-shared), it exports C
// functions and Go writes the header that declares them.
package main

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// HelloGreet returns a greeting for name; free it with HelloFree.
//
//export HelloGreet
func HelloGreet(name *C.char) *C.char {
	return C.CString(fmt.Sprintf("hello, %s", C.GoString(name)))
}

// HelloFree frees a string HelloGreet returned.
//
//export HelloFree
func HelloFree(s *C.char) {
	C.free(unsafe.Pointer(s))
}

// HelloCountWords counts the words of a C string.
//
//export HelloCountWords
func HelloCountWords(text *C.char, n C.size_t) C.int {
	return C.int(len(strings.Fields(C.GoStringN(text, C.int(n)))))
}

func main() {}
