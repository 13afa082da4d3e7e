package io.github.sparkarrow.it.bench;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** {@link BenchRecord} as the JavaBean a Spark user writes today for {@code Encoders.bean}. */
public class BenchBean implements Serializable {
  private static final long serialVersionUID = 1L;

  private long id;
  private int quantity;
  private double price;
  private String sku;
  private Integer discount;
  private LocalDate day;
  private Instant at;
  private BigDecimal amount;
  private List<String> tags;
  private StoreBean store;

  public static BenchBean of(BenchRecord r) {
    BenchBean b = new BenchBean();
    b.id = r.id();
    b.quantity = r.quantity();
    b.price = r.price();
    b.sku = r.sku();
    b.discount = r.discount();
    b.day = r.day();
    b.at = r.at();
    b.amount = r.amount();
    b.tags = r.tags();
    StoreBean s = new StoreBean();
    s.setCountry(r.store().country());
    s.setZip(r.store().zip());
    b.store = s;
    return b;
  }

  public long getId() {
    return id;
  }

  public void setId(long id) {
    this.id = id;
  }

  public int getQuantity() {
    return quantity;
  }

  public void setQuantity(int quantity) {
    this.quantity = quantity;
  }

  public double getPrice() {
    return price;
  }

  public void setPrice(double price) {
    this.price = price;
  }

  public String getSku() {
    return sku;
  }

  public void setSku(String sku) {
    this.sku = sku;
  }

  public Integer getDiscount() {
    return discount;
  }

  public void setDiscount(Integer discount) {
    this.discount = discount;
  }

  public LocalDate getDay() {
    return day;
  }

  public void setDay(LocalDate day) {
    this.day = day;
  }

  public Instant getAt() {
    return at;
  }

  public void setAt(Instant at) {
    this.at = at;
  }

  public BigDecimal getAmount() {
    return amount;
  }

  public void setAmount(BigDecimal amount) {
    this.amount = amount;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public StoreBean getStore() {
    return store;
  }

  public void setStore(StoreBean store) {
    this.store = store;
  }

  /** The nested bean. */
  public static class StoreBean implements Serializable {
    private static final long serialVersionUID = 1L;

    private String country;
    private int zip;

    public String getCountry() {
      return country;
    }

    public void setCountry(String country) {
      this.country = country;
    }

    public int getZip() {
      return zip;
    }

    public void setZip(int zip) {
      this.zip = zip;
    }
  }
}
