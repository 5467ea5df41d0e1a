module example.com/crossbench/hellogo

go 1.19
