module github.com/qinglang/clientport

go 1.22
