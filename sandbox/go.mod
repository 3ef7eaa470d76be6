module example.com/users

go 1.22

require github.com/go-sql-driver/mysql v1.8.1
