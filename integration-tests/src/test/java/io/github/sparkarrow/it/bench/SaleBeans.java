package io.github.sparkarrow.it.bench;

import java.io.Serializable;

/** {@link Sale} and {@link Sale.Value} as the JavaBeans {@code Encoders.bean} needs. */
public final class SaleBeans {

  private SaleBeans() {}

  public static class SaleBean implements Serializable {
    private static final long serialVersionUID = 1L;
    private long id;
    private int quantity;
    private double price;
    private long store;

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

    public long getStore() {
      return store;
    }

    public void setStore(long store) {
      this.store = store;
    }
  }

  public static class ValueBean implements Serializable {
    private static final long serialVersionUID = 1L;
    private long store;
    private double value;

    public static ValueBean of(SaleBean sale) {
      ValueBean bean = new ValueBean();
      bean.store = sale.getStore();
      bean.value = Sale.value(sale.getId(), sale.getQuantity(), sale.getPrice());
      return bean;
    }

    public long getStore() {
      return store;
    }

    public void setStore(long store) {
      this.store = store;
    }

    public double getValue() {
      return value;
    }

    public void setValue(double value) {
      this.value = value;
    }
  }
}
