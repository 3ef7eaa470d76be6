// A small service whose schema is managed with golang-migrate: `make migrate-up` applies db/migrations, and
// models/user.go is the GORM model of its users table.
package main

import (
	"fmt"
	"log"
	"os"

	"example.com/users/models"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
)

func main() {
	dsn := fmt.Sprintf("%s:%s@tcp(%s:%s)/%s?parseTime=true",
		os.Getenv("DB_USER"), os.Getenv("DB_PASS"), os.Getenv("DB_HOST"), os.Getenv("DB_PORT"), os.Getenv("DB_NAME"))
	db, err := gorm.Open(mysql.Open(dsn), &gorm.Config{})
	if err != nil {
		log.Fatal(err)
	}

	var users []models.User
	if err := db.Order("id").Find(&users).Error; err != nil {
		log.Fatal(err)
	}
	for _, user := range users {
		fmt.Println(user.ID, user.Name, user.Email)
	}
}
