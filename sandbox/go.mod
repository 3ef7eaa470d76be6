module example.com/users

go 1.22

require (
	gorm.io/driver/mysql v1.6.0
	gorm.io/gorm v1.31.2
)
